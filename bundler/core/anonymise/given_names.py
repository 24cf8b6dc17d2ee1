"""Common given names, folded, for suggesting people the register does not name yet.

Written for this project from general knowledge (no published list copied): names
common in England and Wales and in the communities most often in immigration and
public-law claims. A name missing here is still found from its context (a title,
"I, NAME, of", a signature, "my son NAME"); the list only lets a bare "Amina Yusuf"
be suggested without one.
"""

from __future__ import annotations

__all__ = ["GIVEN_NAMES"]

_BRITISH = """
aaron adam adrian aidan alan albert alex alexander alexandra alfie alice alison amanda amelia amy
andrew angela ann anna anne annie anthony archie arthur ashley barbara barry ben benjamin beth
bethany brian bradley brandon callum cameron carl caroline catherine charles charlie charlotte chloe
chris christine christopher claire colin connor craig daniel danielle darren david debbie deborah
declan denise dennis derek diane dominic donna dylan edward eileen eleanor elizabeth ella ellie emily
emma eric erin ethan evie fiona francesca freddie freya gail gareth gary gemma geoffrey george
georgia gordon graham gregory hannah harriet harrison harry harvey helen henry ian isaac isabel
isabella isla jacob jade jake james jamie jane janet jasmine jason jayden jean jennifer jenny jessica
joan joanne joe joel john jonathan jordan joseph josh joshua julia julie justin karen kate katherine
kathleen katie kayleigh keith kelly kenneth kerry kevin kieran kirsty laura lauren leah leon lewis
liam linda lisa logan louis louise lucas lucy luke lydia mandy margaret maria marie martin mary
matthew megan melanie michael michelle mohammed molly nathan neil nicholas nicola niamh noah oliver
olivia oscar owen paige patricia paul paula peter philip phoebe rachel rebecca rhys richard robert
ryan sally samantha samuel sandra sarah scott sean shane sharon shaun sian simon sophie stacey
stephanie stephen steven stuart susan tara teresa thomas tim timothy toby tom tony tracey tyler
vanessa vicky wayne william zoe siobhan bronwen dafydd gethin cerys aoife ciaran eamon fergus
hamish iain morag ruairi seamus sinead
"""
_SOUTH_ASIAN = """
aarav abdul amir anil anjali arjun asha ashok deepak devi dinesh gita gurpreet harpreet harjit
jaspreet kamala kiran krishna lakshmi manpreet meena mohan navjot neha nikhil pooja pradeep priya
rahul raj rajesh rajinder ravi rekha rohit sanjay sandeep shanti shreya simran sita sunil sunita
suresh vijay vikram arun balwinder parminder kuldeep jagdish ramesh usha geeta savita anand
nasima rahima shahana shirin rokeya salma taslima jahanara mizanur mahbub shafiqul anwar habib
kamrul rashid saiful tariq imran bilal faisal irfan kashif nadeem naveed rizwan sajid shahid usman
waqar zubair asif aamir adnan arif ayesha fatima hina iqra madiha mehreen nadia naila rabia saima
samina shazia sobia sumaira tahira uzma zainab sadia nasreen nighat farzana amina aisha
tharshan thushara kumaran nirmala sivakumar ganesh priyanka sanjeevan mathivanan kajan nishanthan
"""
_ARABIC_MUSLIM = """
abdullah abdallah abdulrahman ahmad ahmed ali amjad anas ayman bashir bassam faris fadi ghassan
hamza hassan hussein hussain ibrahim idris ismail jamal karim khaled khalid mahmoud majid malik
marwan mohamed mohammad muhammad mustafa nabil omar osama qasim rami saeed said salah salim sami
samir tarek walid yahya yasin yasser yousef yusuf zaid zakaria adil amal asma dalia dina fatma
ghada hala hanan hiba huda iman jamila khadija laila layla leila lina maha mariam maryam mona
nour nur rania reem rim salma samira sana sara suha wafa yasmin zahra zeinab habiba ikram
"""
_AFRICAN = """
abdi abdirahman abdullahi ahmed ayaan deeqa faduma farah hodan hawa ifrah ilhan khadra mahad mohamud
muna nasra sagal shukri warsame yasmin yonas yohannes filmon semhar senait selam tesfay tesfaye
mehari mulugeta dawit bereket biniam aster almaz hagos haile kibrom meron robel saba tekle tsion
adebayo adeola ayodele babatunde bolaji damilola femi folake funmilayo kehinde kemi olamide oluwaseun
olumide segun taiwo temitope tunde yemi yetunde chidi chiamaka chinedu chinonso chioma chukwuemeka
emeka ifeanyi ifeoma ikenna ngozi nnamdi obinna uche uchenna amaka adaeze nneka kelechi kwame kofi
kwabena kwasi yaw akua ama abena akosua efua esi nana kojo kweku tendai tatenda farai tinashe
rutendo chipo nyasha tafadzwa blessing precious mercy patience comfort gift memory fortune
osman mohamed amna awadia fatouma mariama aminata fatmata ibrahima mamadou moussa ousmane
"""
_MIDDLE_EAST_CENTRAL_ASIA = """
reza ali mehdi hossein mohsen hamid majid dariush farhad kaveh babak behnam navid arash saeed
maryam zahra fatemeh parisa shirin leila nasrin azadeh mahsa niloufar sima soraya roya ahmad farid
wahid rahim karim jawad naveed sayed shafiq zabih habib nasir gul bibi mahbooba nazanin
karwan rebwar dilan shilan hawre aram azad baran hemin kawa rozhin soran zana sirwan
"""
_EUROPEAN = """
arben besnik blerim dritan ermal fatmir gentian ilir kastriot luan valon adnan elira drita
fjolla arta besa blerta mimoza vjosa krzysztof tomasz piotr pawel marcin michal lukasz jakub kamil
mateusz agnieszka anna barbara ewa joanna katarzyna magdalena malgorzata marta monika natalia
ionut florin andrei alexandru bogdan cristian gabriel mihai stefan vasile andreea alina elena
ioana maria mihaela raluca simona jonas tomas lukas mantas ruta egle oksana iryna olena olga
natalia tetiana andriy dmytro oleksandr serhiy yuriy mehmet mustafa emre burak ayse elif fatma
zeynep emine merve
"""
_EAST_ASIAN_CARIBBEAN = """
wei li jing ming hui xiaoming xiu yan lei hong mei ling yi fang min thanh minh huong lan hoa
linh tuan hung duc anh nga phuong trang marcus tyrone jermaine shanice leroy delroy winston
desmond errol clive courtney tanisha keisha shaniqua marlon dwayne andre jamal kemar
"""
GIVEN_NAMES = frozenset(
    " ".join(
        [_BRITISH, _SOUTH_ASIAN, _ARABIC_MUSLIM, _AFRICAN, _MIDDLE_EAST_CENTRAL_ASIA, _EUROPEAN, _EAST_ASIAN_CARIBBEAN]
    ).split()
)
